val pwd = "toqhud517"
