req.Header.Set("Authorization", "Bearer lD9qIxqQq6nDBPoGAvzEHovbWQu_llGONhZYubEg")
