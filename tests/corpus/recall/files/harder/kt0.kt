val pwd = "cpoeft786"
