import psycopg2
conn = psycopg2.connect(host="db.internal.acme.io", user="reporting", password="iIlN8YS2U")
