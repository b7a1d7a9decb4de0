net user svc_backup DFCN7505dxe /add
