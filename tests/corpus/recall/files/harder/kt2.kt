val pwd = "Bf9Ssnurqn84p2"
