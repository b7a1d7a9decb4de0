#!/bin/sh
export DB_PASSWORD=9Fcr+eV2k9Q
mysql -u root -pFUWL8070pvk app < dump.sql
sshpass -p 'TFYH6579mvy' ssh deploy@cache-01.acme.net
