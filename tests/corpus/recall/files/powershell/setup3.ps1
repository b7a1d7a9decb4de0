$secure = ConvertTo-SecureString "91m8%A*pbu8@eI" -AsPlainText -Force
Connect-Db -Server cluster0.xq7lp.acme.net -Password GIPS6949gnj
