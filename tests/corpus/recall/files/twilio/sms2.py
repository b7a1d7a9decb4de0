client = Client("ACf585a79b4e888711c41db8f5ef9c43cc", "3ac8de84ef8dab3932e882cd786363ae")
