var cs = "Server=db.internal.acme.io;Database=app;User Id=app;Password=%6q!TJM*IjjeGkE;";
