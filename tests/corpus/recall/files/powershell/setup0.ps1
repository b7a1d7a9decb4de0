$secure = ConvertTo-SecureString "viWrwldD6S" -AsPlainText -Force
Connect-Db -Server cluster0.xq7lp.acme.net -Password Summer1110@
