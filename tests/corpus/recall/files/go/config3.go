package config

var testDB = Options{
	User:     "billing",
	Password: "Maple2622%",
}
