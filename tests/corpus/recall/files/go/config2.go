package config

var testDB = Options{
	User:     "svc_orders",
	Password: "PCWS7375hhm",
}
