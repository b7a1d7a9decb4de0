req.Header.Set("Authorization", "Bearer Dr47EXRaKaQGh8Atxk5-yxKq0lYh6jhyMip0Yr0O")
