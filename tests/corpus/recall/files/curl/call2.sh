curl -u billing:_rhUrz!tdPx_y https://jenkins.acme.io/api/json
