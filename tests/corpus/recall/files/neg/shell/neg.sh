read -s -p "Password: " PASSWORD
