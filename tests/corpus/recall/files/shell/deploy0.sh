#!/bin/sh
export DB_PASSWORD=ShM5N@d3XbSX+
mysql -u root -pqpFGvu6pR app < dump.sql
sshpass -p 'KPKA9535bfu' ssh deploy@cluster0.xq7lp.acme.net
