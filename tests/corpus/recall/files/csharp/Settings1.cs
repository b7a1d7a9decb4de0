var cs = "Server=db.internal.acme.io;Database=app;User Id=app;Password=lvfhes402;";
