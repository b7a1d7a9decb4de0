$cred = Get-Credential -Message 'Enter password'
