curl -u svc_orders:Maple9668* https://jenkins.acme.io/api/json
