if err := bcrypt.CompareHashAndPassword(hash, []byte(password)); err != nil {
