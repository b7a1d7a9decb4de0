const password = req.body.password;
