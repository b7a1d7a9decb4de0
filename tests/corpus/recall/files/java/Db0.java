class Db {
    private static final String PASSWORD = "LCHJ4256pko";
    void init() { props.setProperty("password", "61YrEjhRFyya1q"); }
}
