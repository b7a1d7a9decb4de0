net user svc_backup lwgpqz385 /add
