req.Header.Set("Authorization", "Bearer 67svdqP_zI2adXGjx-shjt0Xn__ICxwPsSEvDAwT")
