client = Client("AC34fb2ba126b85b713d82262ae2f5ef68", "74dc2bcd26feeb21a0531c9e1b5598b9")
