import psycopg2
conn = psycopg2.connect(host="cache-01.acme.net", user="ci", password="Harbor9938%")
