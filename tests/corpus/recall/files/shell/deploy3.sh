#!/bin/sh
export DB_PASSWORD=Falcon3873!
mysql -u root -p84fSscJNCOeyR76r app < dump.sql
sshpass -p 'HcQjsu+Ia4Xj' ssh deploy@db.internal.acme.io
