var cs = "Server=10.0.3.12;Database=app;User Id=app;Password=Orbit2684#;";
