req.Header.Set("Authorization", "Bearer kQywxsSEXns20Yk6Gnw0WXsRCU5_vI-xDN_tbNmB")
