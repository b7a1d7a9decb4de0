import psycopg2
conn = psycopg2.connect(host="cache-01.acme.net", user="etl", password="Falcon58@")
