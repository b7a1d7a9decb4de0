config.passwd = 'gf74yguXJL'
