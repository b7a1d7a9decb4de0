cfg.Password = os.Getenv("DB_PASSWORD")
