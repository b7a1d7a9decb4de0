const key = "-----BEGIN RSA PRIVATE KEY-----\n" +
  "MIIe5wIub6X9eTQRtso0sqoFxQ7yrsrZlk9ucStWXbp4VQiV7Qs1HfXyNShkjvnz\n" +
  "sMWNmzdxzT33bsCZ3suvb8pAb3CjsVEzSU4yWuQHxdPPFyOdk7QNcNGSks/go4Hm\n" +
  "-----END RSA PRIVATE KEY-----";
