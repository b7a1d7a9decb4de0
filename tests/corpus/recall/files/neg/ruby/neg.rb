validates :password, length: { minimum: 8 }
