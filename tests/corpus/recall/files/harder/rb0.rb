config.passwd = 'i.!JHgWimAH_'
