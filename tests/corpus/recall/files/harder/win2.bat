net user svc_backup oxwrrp233 /add
