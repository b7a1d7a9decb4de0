const key = "-----BEGIN RSA PRIVATE KEY-----\n" +
  "MIIpmzMZzeqZSku5zhirBmlbq+z1RSFrNY/vLUmBSDqnDVX3DejN6WWtBsqAj8xC\n" +
  "bviGcroyfvI7hf5fVHsuC4ofBBFbDeOIXDXdYp9YbKIrJbJrh8TLeX71t7qKfeH2\n" +
  "-----END RSA PRIVATE KEY-----";
