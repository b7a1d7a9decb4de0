$secure = ConvertTo-SecureString "NWOW8011mez" -AsPlainText -Force
Connect-Db -Server db.internal.acme.io -Password Maple4667@
