parser.add_argument('--password', help='database password')
