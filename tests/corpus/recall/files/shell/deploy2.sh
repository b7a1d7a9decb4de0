#!/bin/sh
export DB_PASSWORD=7c7r5eTTaqCX
mysql -u root -pFalcon7847@ app < dump.sql
sshpass -p 'Orbit9375!' ssh deploy@mq.acme.io
