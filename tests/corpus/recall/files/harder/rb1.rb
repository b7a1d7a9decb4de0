config.passwd = 'bb6NnkZ0KEGPq'
