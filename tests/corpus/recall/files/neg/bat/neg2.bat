net user %SVC_USER% %SVC_PASSWORD% /add
