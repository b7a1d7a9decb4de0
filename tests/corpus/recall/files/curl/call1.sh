curl -u ci:RVKhD!DH_@wiv+F https://jenkins.acme.io/api/json
