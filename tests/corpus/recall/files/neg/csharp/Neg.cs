public string Password { get; set; }
