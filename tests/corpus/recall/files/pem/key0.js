const key = "-----BEGIN RSA PRIVATE KEY-----\n" +
  "MIIksJUwdFsmoqeD/MbLYzO0Tz3lTocbXXlOxn4QnyuPFIc+aK/DY6TcGkrr03qL\n" +
  "ftnfO9UbsTyL5aO93gDkbB3TyqamLk5uBCo7ms8hjlunM1XI4wFdGtHUatvxwFy2\n" +
  "-----END RSA PRIVATE KEY-----";
