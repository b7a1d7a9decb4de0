password = getpass.getpass('Password: ')
