package config

var testDB = Options{
	User:     "svc_orders",
	Password: "Summer8551!",
}
