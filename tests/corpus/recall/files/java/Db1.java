class Db {
    private static final String PASSWORD = "MHZX3657bdy";
    void init() { props.setProperty("password", "FMSJ5142qah"); }
}
