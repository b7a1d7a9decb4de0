$password = $_POST['password'];
