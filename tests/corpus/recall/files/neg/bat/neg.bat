net user svc_backup * /add
