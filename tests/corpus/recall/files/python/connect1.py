import psycopg2
conn = psycopg2.connect(host="10.0.3.12", user="ci", password="ceblqi628")
