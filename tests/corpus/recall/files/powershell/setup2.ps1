$secure = ConvertTo-SecureString "Violet2169@" -AsPlainText -Force
Connect-Db -Server cache-01.acme.net -Password N%c7ZDIc6*.bb61i
