package config

var testDB = Options{
	User:     "app",
	Password: "TYUZ5919biy",
}
