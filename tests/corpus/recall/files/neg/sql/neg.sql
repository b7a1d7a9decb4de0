UPDATE users SET password = crypt(:pw, gen_salt('bf')) WHERE id = :id;
