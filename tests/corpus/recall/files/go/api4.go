req.Header.Set("Authorization", "Bearer F_Qhi6ajFBVH7GkHhRz4be-sWAB_18DTSpcBXOda")
