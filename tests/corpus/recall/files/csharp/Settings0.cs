var cs = "Server=cluster0.xq7lp.acme.net;Database=app;User Id=reporting;Password=vctabk871;";
